import re
from pathlib import Path

from setuptools import find_namespace_packages, setup

version = re.search(r'__version__ = "(.*?)"', Path("kesu_app/__init__.py").read_text()).group(1)

setup(
	name="kesu_app",
	version=version,
	description="Customer complaint handling (客诉) for ERPNext",
	author="kesu_app developers",
	packages=find_namespace_packages(include=["kesu_app", "kesu_app.*"]),
	include_package_data=True,
	zip_safe=False,
	python_requires=">=3.10",
)
