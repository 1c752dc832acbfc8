"""Template filters of the dashboard's pages."""
from django import template

from ..rule_forms import OPERATOR_LABELS, condition_value_text

register = template.Library()


@register.filter
def operator_label(op):
    """'in' -> 'is one of': the words the rule editor uses."""
    return OPERATOR_LABELS.get(op, op)


@register.filter
def condition_value(condition):
    """A condition's value as typed in the editor (lists comma-separated)."""
    if isinstance(condition, dict):
        return condition_value_text(condition.get("value"), condition.get("op"))
    return condition_value_text(condition.value, condition.operator)
