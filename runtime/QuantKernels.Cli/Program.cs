// Entry point of the `qk` command; all logic lives in QkApp so tests can run it in-process.
return QuantKernels.Cli.QkApp.Run(args, Console.Out, Console.Error);
