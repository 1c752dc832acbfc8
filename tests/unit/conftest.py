pytest_plugins = ["tests.support.panel_databases"]
