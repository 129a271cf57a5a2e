from statediff.cli import main

main()
