from . import res_partner_collection_import
from . import collection_run_preview
from . import collection_dispute_resolve
from . import collection_manual_action
from . import collection_kpi_report
from . import collection_pilot_result
