"""`python -m cuda2cann ...` runs the command line, as the `cuda2cann` script does."""
from cuda2cann.cli import main

main()
