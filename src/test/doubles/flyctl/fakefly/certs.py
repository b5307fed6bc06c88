"""fly certs: to be filled in; registers its verbs with @command."""
