namespace QuantKernels.Native;

/// <summary>Turns an exception caught at the C boundary into <c>qk_last_error()</c> and an error-reporter call.</summary>
internal static class Fail
{
    /// <summary>Records "<paramref name="function"/>: message" and reports it through <paramref name="reporter"/>
    /// (or stderr when none is set). Never throws: a failing reporter must not let an exception reach C.</summary>
    public static void Report(string function, Exception e, ErrorReporter reporter = default)
    {
        string message = $"{function}: {e.Message}";
        try
        {
            LastError.Set(message);
            reporter.Report(message);
        }
        catch
        {
            // Nothing more can be done without crossing into C with an exception.
        }
    }
}
