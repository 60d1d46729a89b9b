"""Every state change of an aduan goes through a function in this package: one transaction,
an explicit actor, the audit row in the same transaction, side effects enqueued on commit."""

from posko.aduan.actions.assign import do_assign_aduan
from posko.aduan.actions.intake import do_submit_aduan
from posko.aduan.actions.labels import do_correct_labels
from posko.aduan.actions.replies import do_add_incoming_message, do_add_message
from posko.aduan.actions.sla import do_check_sla_deadline
from posko.aduan.actions.status import do_change_status

__all__ = [
    "do_add_incoming_message",
    "do_add_message",
    "do_assign_aduan",
    "do_change_status",
    "do_check_sla_deadline",
    "do_correct_labels",
    "do_submit_aduan",
]
