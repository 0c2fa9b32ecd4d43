from .dtype import BaseDtypeTests  # noqa: F401
