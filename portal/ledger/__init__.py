"""The JP ledger: one frozen row per credited learning (models and services, no routes).

Every JP a learner is credited with is a :class:`portal.ledger.models.JpCredit` row written
when it is earned; yearly figures (dashboard, HR, reports) are sums over these rows, never a
join to the course, so editing a course's ``jp`` later changes nothing already credited.
"""
