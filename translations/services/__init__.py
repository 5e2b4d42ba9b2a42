from .saving import *  # noqa: F403
from .saving import _units_update, _update_from_supported  # noqa: F401
