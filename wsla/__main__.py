from wsla.cli import main

main()
