from echoscope_probe.cli import main

main()
