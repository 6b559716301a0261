from . import res_partner_collection_import
from . import collection_run_preview
