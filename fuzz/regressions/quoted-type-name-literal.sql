INSERT INTO clicks VALUES ('u1', ÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿÿ'/a'), ('u2', '/b')
