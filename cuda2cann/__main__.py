from cuda2cann.cli import main

main()
