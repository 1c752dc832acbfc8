"""Import the collection's own module_utils from the checkout the panel lives in, for tests that pin the panel's
definitions to the collection's (the panel never imports the collection at run time)."""
import importlib
import os
import sys
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
PACKAGE = "ansible_collections.panelops.reseller.plugins.module_utils"


def _collections_root():
    """A directory holding ansible_collections/panelops/reseller -> the checkout: `make`'s link, or a temporary
    one when the checkout has not been through `make` yet."""
    made = CHECKOUT / ".collections"
    if (made / "ansible_collections" / "panelops" / "reseller" / "galaxy.yml").exists():
        return str(made)
    root = tempfile.mkdtemp(prefix="panel-collection-")
    os.makedirs(os.path.join(root, "ansible_collections", "panelops"))
    os.symlink(CHECKOUT, os.path.join(root, "ansible_collections", "panelops", "reseller"))
    return root


def module_utils(name):
    """The collection's plugins/module_utils/<name>.py as a module."""
    root = _collections_root()
    if root not in sys.path:
        sys.path.insert(0, root)
    return importlib.import_module("%s.%s" % (PACKAGE, name))
