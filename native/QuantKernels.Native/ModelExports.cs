using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using QuantKernels.Runtime;

namespace QuantKernels.Native;

/// <summary>TfLiteVersion, TfLiteSchemaVersion and the TfLiteModel functions of TFLite's C API.</summary>
internal static unsafe class ModelExports
{
    /// <summary>The TFLite C API version whose functions this library mirrors, with our build as semver metadata.</summary>
    public const string Version = "2.16.1+quantkernels";

    private static readonly byte* s_version = NativeStrings.Allocate(Version);

    [UnmanagedCallersOnly(EntryPoint = "TfLiteVersion")]
    public static byte* TfLiteVersion()
    {
        LastError.Clear();
        return s_version;
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteSchemaVersion")]
    public static int TfLiteSchemaVersion()
    {
        LastError.Clear();
        return 3;
    }

    /// <summary>Unlike TFLite, the bytes are copied (into a pinned array), so the caller may free them at once.</summary>
    [UnmanagedCallersOnly(EntryPoint = "TfLiteModelCreate")]
    public static nint TfLiteModelCreate(byte* modelData, nuint modelSize)
    {
        LastError.Clear();
        try
        {
            if (modelData == null) throw new ArgumentException("model_data is NULL");
            if (modelSize > int.MaxValue) throw new ArgumentException($"model_size {modelSize} is over 2 GiB");
            var bytes = GC.AllocateUninitializedArray<byte>((int)modelSize, pinned: true);
            new ReadOnlySpan<byte>(modelData, (int)modelSize).CopyTo(bytes);
            return Add(TfLiteModel.FromBytes(bytes));
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteModelCreate", e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteModelCreateFromFile")]
    public static nint TfLiteModelCreateFromFile(byte* modelPath)
    {
        LastError.Clear();
        try
        {
            if (modelPath == null) throw new ArgumentException("model_path is NULL");
            string path = Marshal.PtrToStringUTF8((nint)modelPath)!;
            return Add(TfLiteModel.FromBytes(ReadPinned(path), path));
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteModelCreateFromFile", e);
            return 0;
        }
    }

    [UnmanagedCallersOnly(EntryPoint = "TfLiteModelDelete")]
    public static void TfLiteModelDelete(nint model)
    {
        LastError.Clear();
        try
        {
            // TfLiteModel.Dispose is not called: interpreters created from this model keep using it (TFLite lets C
            // delete the model right after creating an interpreter); the GC frees it with the last one.
            if (model != 0) HandleTable.Shared.Remove<NativeModel>(model, HandleKind.Model, "model");
        }
        catch (Exception e)
        {
            Fail.Report("TfLiteModelDelete", e);
        }
    }

    /// <summary>Reads a whole file into a pinned array.</summary>
    internal static byte[] ReadPinned(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length > int.MaxValue) throw new ModelFormatException($"{path}: {length} bytes; models over 2 GiB are not supported");
        var bytes = GC.AllocateUninitializedArray<byte>((int)length, pinned: true);
        stream.ReadExactly(bytes);
        return bytes;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static nint Add(TfLiteModel model) => HandleTable.Shared.Add(HandleKind.Model, new NativeModel(model));
}
