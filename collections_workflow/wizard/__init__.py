from . import res_partner_collection_import
