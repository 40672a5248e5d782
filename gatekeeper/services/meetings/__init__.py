"""Steering-group meetings: the agenda drafted from what is due, the underlag frozen when
sent, the protocol and its justering.
"""
