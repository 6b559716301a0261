# Pure Python helpers: nothing here imports Odoo, so the plain tests can load them.
from . import contact_links
from . import portfolio_file
