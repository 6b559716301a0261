from . import collection_staff
from . import collection_strategy
from . import collection_level
from . import collection_event
from . import collection_run
from . import res_company
from . import res_partner
from . import account_move
