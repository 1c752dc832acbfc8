pytest_plugins = ["tests.support.panel_databases", "tests.support.dns_acme_fixtures"]
