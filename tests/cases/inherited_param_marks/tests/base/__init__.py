from tests.base.casting import BaseCastingTests  # noqa: F401
