"""
Settings for `npm run bench:api` only: production settings plus two floor endpoints
(config.benchmark_urls) that show what this stack costs at the least, so create and list can
be compared with them. Never deployed: no image, manifest or compose file names this module.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "config.benchmark_urls"
