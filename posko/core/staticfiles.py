"""The staticfiles app as Posko installs it (``INSTALLED_APPS``)."""

from django.contrib.staticfiles.apps import StaticFilesConfig as BaseStaticFilesConfig


class StaticFilesConfig(BaseStaticFilesConfig):
    """Django's staticfiles, without the npm packages' type declarations and CommonJS builds:
    Chart.js's dist holds about 90 ``.d.ts`` files that no page loads, and compressing and
    hashing them (twice each, gzip and brotli) doubled the time ``collectstatic`` adds to every
    start of ``posko serve``. Source maps stay: the minified builds name them."""

    ignore_patterns = [*BaseStaticFilesConfig.ignore_patterns, "*.d.ts", "*.cjs"]
