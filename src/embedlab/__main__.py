from embedlab.cli.app import main

raise SystemExit(main())
