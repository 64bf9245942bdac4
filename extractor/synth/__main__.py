from extractor.synth import main

raise SystemExit(main())
