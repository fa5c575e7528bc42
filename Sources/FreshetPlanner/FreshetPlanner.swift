// FreshetPlanner
