from . import collection_statement_report
