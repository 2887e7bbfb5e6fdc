"""`make security` (python -m deploy.security): the production topology of deploy/smoke/ on its own ports
(9901–9980) and database, then sqlmap on every form and an XSS probe of every text field, as each profile."""
