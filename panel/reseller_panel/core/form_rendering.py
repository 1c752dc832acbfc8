"""How django-bootstrap5 renders the panel's fields: a field with an error is marked invalid (red, its message
beneath it); the others stay plain instead of turning green after every post."""
from django_bootstrap5.renderers import FieldRenderer


class PanelFieldRenderer(FieldRenderer):
    def get_server_side_validation_classes(self):
        return "is-invalid" if self.field_errors else ""
