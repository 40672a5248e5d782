"""Follow-up use cases: goals and measurements, the nyttoregister, kommunikationsplan,
intressentanalys and lärdomar.
"""
