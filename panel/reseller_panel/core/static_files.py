"""Static files (Bootstrap, the panel's CSS and JS) served by the app itself on every app host."""
import os

from whitenoise.middleware import WhiteNoiseMiddleware


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, reading STATIC_ROOT only once `collectstatic` has made it; until then (tests, a checkout
    that was never deployed) the apps' own static directories are served through Django's finders."""

    def add_files(self, root, prefix=None):
        if root == self.static_root and not os.path.isdir(root):
            return
        super().add_files(root, prefix)
