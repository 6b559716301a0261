"""Collection fees by brackets of the debt (pure Python).

Chile's Ley 19.496 art. 37 caps extrajudicial collection fees at 9 % of the debt up to
10 UF, 6 % of the part from 10 to 50 UF and 3 % of the part above 50 UF.
"""


def bracket_fee(debt, brackets):
    """The fee on ``debt``: each part of it at its bracket's rate.

    :param brackets: ``(up_to, rate_percent)`` pairs in increasing order, ``up_to`` None
        for the last (the rest of the debt);
    :return: the fee, in the unit of ``debt``.
    """
    fee, floor = 0.0, 0.0
    for up_to, rate in brackets:
        top = debt if up_to is None else min(debt, up_to)
        if top > floor:
            fee += (top - floor) * rate / 100
        if up_to is None or debt <= up_to:
            break
        floor = up_to
    return fee
