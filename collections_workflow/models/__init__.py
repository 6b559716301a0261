from . import collection_staff
from . import res_partner
from . import account_move
