"""What every pytest suite in the repository shares (pytest.ini puts tests/pysupport on the path)."""
from fo_testkit import service_log_dir  # noqa: F401 -- an autouse session fixture
