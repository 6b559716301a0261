from . import collection_statement_report
from . import collection_aging_report
from . import collection_dashboard
from . import collection_supervisor_report
from . import collection_effectiveness_report
