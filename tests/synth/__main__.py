from tests.synth import main

raise SystemExit(main())
