"""Tables of the reports: the slutrapport's sections and approval, the lessons learned."""
