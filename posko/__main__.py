from posko.cli import main

raise SystemExit(main())
