"""Static-site generators: where their pages' root-relative and base-relative targets resolve."""

from offload.migrate.sites.roots import SiteRoot, parse_site_roots, site_readings

__all__ = ["SiteRoot", "parse_site_roots", "site_readings"]
