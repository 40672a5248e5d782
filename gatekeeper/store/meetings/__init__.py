"""Tables of steering-group meetings: the meeting, its participants, its frozen underlag and
protocol.
"""
