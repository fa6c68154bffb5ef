"""The audit log: one row per administrative change (who, what, on what, before and after,
when, from where), written in the same transaction as the change (:func:`services.record`)."""
