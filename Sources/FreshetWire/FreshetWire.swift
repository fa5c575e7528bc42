// FreshetWire
