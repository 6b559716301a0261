from . import test_collection_staff
from . import test_customer_advisor
from . import test_security
from . import test_portfolio_import
from . import test_collection_run
from . import test_concurrent_runs
from . import test_tour
from . import test_collection_channels
