# Pure Python helpers: nothing here imports Odoo, so the plain tests can load them.
from . import aging
from . import contact_links
from . import contact_window
from . import portfolio_file
from . import identification
from . import reply_intent
from . import pilot
from . import channels
from . import tracking
