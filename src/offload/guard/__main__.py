from offload.guard.hook import main

raise SystemExit(main())
