"""Tables of the follow-up: goals, indicators, measurements, benefits and the project registers."""
