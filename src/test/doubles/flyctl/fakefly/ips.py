"""fly ips: to be filled in; registers its verbs with @command."""
