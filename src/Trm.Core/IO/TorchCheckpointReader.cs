using System.IO.Compression;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// Reads a state dict saved by <c>torch.save</c> in PyTorch's zip format: <c>&lt;folder&gt;/data.pkl</c>
/// (the pickled dict, tensors as persistent ids) and <c>&lt;folder&gt;/data/&lt;key&gt;</c> (raw storages).
/// No Python is needed; only tensors, dicts and the values torch puts beside them are accepted.
/// Everything the pickle declares is checked before memory is taken: each storage against its zip entry, each tensor
/// against its storage, and all of them together against <see cref="MaxBytes"/> (a small multiple of the file's size).
/// </summary>
public static class TorchCheckpointReader
{
    /// <summary>The prefix <c>torch.compile</c>d modules add to every key; stripped on load.</summary>
    public const string CompiledPrefix = "_orig_mod.";

    sealed record StorageRef(ScalarType Dtype, string Key, long Numel);

    /// <summary>Largest pickle (<c>data.pkl</c>) read: about 200 bytes per tensor, so 64 MiB is far beyond any state dict.</summary>
    public const long MaxPickleBytes = 64L << 20;

    /// <summary>Most dimensions a tensor record may declare.</summary>
    const int MaxRank = 16;

    /// <summary>The most memory a checkpoint of <paramref name="fileBytes"/> bytes may fill: its storages plus any copies of views
    /// into them; twice the file and 1 MiB covers every state dict torch writes (storages are stored uncompressed).</summary>
    public static long MaxBytes(long fileBytes) => 2 * fileBytes + (1L << 20);

    /// <summary>Counts the bytes a checkpoint has asked for so far against <see cref="MaxBytes"/>.</summary>
    sealed class Budget(string path, long fileBytes)
    {
        long used;

        public void Take(long bytes, string what)
        {
            long limit = MaxBytes(fileBytes);
            if (bytes > limit - used)
                throw new TrmException($"{path}: {what} would bring the tensors to more than {limit} bytes, the limit for a {fileBytes}-byte checkpoint (twice its size and 1 MiB); the file is damaged or hostile.");
            used += bytes;
        }
    }

    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new TrmException($"{path}: checkpoint file not found.");
        UserFile.RequireRegular(path, "a PyTorch checkpoint file");
        var budget = new Budget(path, new FileInfo(path).Length);
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new TrmException($"{path}: not a PyTorch zip checkpoint ({e.Message}). The file may be truncated, or saved with torch.save(..., _use_new_zipfile_serialization=False), which is not supported.", e);
        }
        using (zip)
        try
        {
            return ReadStateDict(zip, path, budget);
        }
        catch (InvalidDataException e)
        {
            throw new TrmException($"{path}: the zip archive is damaged ({e.Message}); the file is truncated or not a PyTorch checkpoint.", e);
        }
    }

    static Dictionary<string, Tensor> ReadStateDict(ZipArchive zip, string path, Budget budget)
    {
        var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
            ?? throw new TrmException($"{path}: no '<folder>/data.pkl' inside the zip; this is not a torch.save checkpoint.");
        var folder = pickle.FullName[..^"data.pkl".Length];
        var byteOrder = zip.GetEntry(folder + "byteorder");
        if (byteOrder is not null)
        {
            using var r = new StreamReader(byteOrder.Open());
            var order = new char[16];
            if (new string(order, 0, r.ReadBlock(order)).Trim() != "little") throw new TrmException($"{path}: big-endian checkpoints are not supported.");
        }

        // Each storage is read straight into the memory of a tensor; tensors that cover a whole storage
        // are returned as that memory (see Reduce), so a large table is never held twice.
        var storages = new Dictionary<string, Tensor>();
        Tensor LoadStorage(StorageRef s)
        {
            if (storages.TryGetValue(s.Key, out var cached)) return cached;
            var entry = zip.GetEntry($"{folder}data/{s.Key}") ?? throw new TrmException($"{path}: tensor storage '{folder}data/{s.Key}' is missing from the zip; the file is incomplete.");
            long bytes = DeclaredShape.Bytes([s.Numel], s.Dtype.ElementSize()) ?? -1;
            if (bytes < 0 || bytes > entry.Length)
                throw new TrmException($"{path}: tensor storage '{s.Key}' declares {s.Numel} elements of {s.Dtype}, but its zip entry holds {entry.Length} bytes; the file is damaged.");
            budget.Take(bytes, $"tensor storage '{s.Key}'");
            var flat = empty([s.Numel], s.Dtype);
            try
            {
                using var stream = entry.Open();
                TensorBytes.ReadInto(stream, flat);
            }
            catch (Exception e) when (e is EndOfStreamException or InvalidDataException)
            {
                flat.Dispose();
                throw new TrmException($"{path}: tensor storage '{s.Key}' is shorter than its {s.Numel} elements; the file is truncated or damaged.", e);
            }
            return storages[s.Key] = flat;
        }

        try
        {
            using var stream = ReadPickle(pickle, path);
            var root = new Unpickler(stream, path)
            {
                PersistentLoad = pid => ParseStorage(pid, path),
                Reduce = (callable, args) => Reduce(callable, args, LoadStorage, budget, path),
            }.Load();
            return ToStateDict(root, path);
        }
        catch (InvalidDataException e)
        {
            throw new TrmException($"{path}: the zip archive is damaged ({e.Message}); the file is truncated or not a PyTorch checkpoint.", e);
        }
        finally
        {
            foreach (var s in storages.Values) s.Dispose();   // the tensors returned hold their own references to the memory
        }
    }

    /// <summary>The pickle's bytes in memory (seekable, so the unpickler can check lengths against what remains), at most <see cref="MaxPickleBytes"/>.</summary>
    static MemoryStream ReadPickle(ZipArchiveEntry pickle, string path)
    {
        if (pickle.Length > MaxPickleBytes)
            throw new TrmException($"{path}: the pickle '{pickle.FullName}' is {pickle.Length} bytes, more than the limit of {MaxPickleBytes}; this is not a state dict.");
        var bytes = new byte[pickle.Length];
        using var stream = pickle.Open();
        int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        return new MemoryStream(bytes, 0, read, writable: false);
    }

    static Dictionary<string, Tensor> ToStateDict(object? root, string path)
    {
        if (root is not PickleDict dict)
            throw new TrmException($"{path}: the checkpoint holds a {root?.GetType().Name ?? "None"}, not a state dict (a dict of name -> tensor).");
        var result = new Dictionary<string, Tensor>();
        foreach (var (key, value) in dict)
        {
            if (key is not string name || value is not Tensor tensor)
                throw new TrmException($"{path}: entry '{key}' is not a tensor; only plain state dicts (torch.save(model.state_dict())) are supported.");
            if (name.StartsWith(CompiledPrefix, StringComparison.Ordinal)) name = name[CompiledPrefix.Length..];
            result[name] = tensor;
        }
        return result;
    }

    // pid = ('storage', <storage type global>, key, location, numel)
    static StorageRef ParseStorage(object? pid, string path)
    {
        if (pid is PickleTuple { Items: ["storage", PickleGlobal type, string key, _, long numel] })
            return numel >= 0 ? new StorageRef(StorageDtype(type, path), key, numel)
                : throw new TrmException($"{path}: tensor storage '{key}' declares {numel} elements; the file is damaged.");
        throw new TrmException($"{path}: unrecognised tensor storage reference; the checkpoint was written by an unsupported PyTorch version.");
    }

    static ScalarType StorageDtype(PickleGlobal type, string path) => type.Name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "IntStorage" => ScalarType.Int32,
        "LongStorage" => ScalarType.Int64,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new TrmException($"{path}: tensors of storage type {type} are not supported (float32, float64, float16, bfloat16, int8-64, uint8, bool are)."),
    };

    static object? Reduce(PickleGlobal callable, object?[] args, Func<StorageRef, Tensor> loadStorage, Budget budget, string path)
    {
        switch (callable.ToString())
        {
            case "collections.OrderedDict":
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor":
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args is not [StorageRef storage, long offset, PickleTuple size, PickleTuple stride, ..]
                    || !Longs(size, out var shape) || !Longs(stride, out var strides))
                    throw new TrmException($"{path}: malformed tensor record in the checkpoint (expected storage, offset, size and stride as integers).");
                CheckView(storage, offset, shape, strides, path);
                var flat = loadStorage(storage);
                if (shape.Any(n => n == 0)) return empty(shape, flat.dtype);
                var view = flat.as_strided(shape, strides, offset);
                if (offset == 0 && view.numel() == storage.Numel && view.is_contiguous()) return view;   // the whole storage: no copy
                budget.Take(view.numel() * storage.Dtype.ElementSize(), $"a copy of a {DeclaredShape.Text(shape)} view of storage '{storage.Key}'");
                using (view) return view.is_contiguous() ? view.clone() : view.contiguous();            // a real view: its own compact copy
            case "torch._utils._rebuild_parameter":
                return args is [Tensor parameter, ..] ? parameter : throw new TrmException($"{path}: malformed parameter record in the checkpoint.");
            default:
                throw new TrmException($"{path}: the checkpoint contains a Python object of type {callable}, which is not part of a state dict. Save only model.state_dict().");
        }
    }

    static bool Longs(PickleTuple tuple, out long[] values)
    {
        values = tuple.Items.OfType<long>().ToArray();
        return values.Length == tuple.Items.Length && values.Length <= MaxRank;
    }

    /// <summary>
    /// A view must lie inside its storage: sizes, strides and offset not negative, one stride per size, stride 0 only
    /// along a dimension of size 1 (torch writes no expanded tensors into state dicts), no more elements than the
    /// storage (only overlapping strides could), and its last element within the storage, all without overflow.
    /// </summary>
    static void CheckView(StorageRef storage, long offset, long[] shape, long[] strides, string path)
    {
        string what = $"{path}: a tensor of shape {DeclaredShape.Text(shape)}, strides {DeclaredShape.Text(strides)} and offset {offset} in storage '{storage.Key}' ({storage.Numel} elements)";
        if (shape.Length != strides.Length || offset < 0 || strides.Any(s => s < 0))
            throw new TrmException($"{what} is malformed (one stride per size, none negative); the file is damaged.");
        var count = DeclaredShape.Elements(shape) ?? throw new TrmException($"{what} has a negative or overflowing element count; the file is damaged.");
        if (count == 0) return;
        if (shape.Zip(strides).Any(d => d.First > 1 && d.Second == 0))
            throw new TrmException($"{what} repeats elements (stride 0), which state dicts do not; the file is damaged or hostile.");
        if (count > storage.Numel) throw new TrmException($"{what} has more elements than its storage; the file is damaged or hostile.");
        long last = offset;   // index of the view's last element: offset + sum((n - 1) * stride), at most storage.Numel - 1
        foreach (var (n, stride) in shape.Zip(strides))
        {
            if (n == 1) continue;
            if (stride > (storage.Numel - 1 - last) / (n - 1)) throw new TrmException($"{what} reaches past its storage; the file is damaged.");
            last += (n - 1) * stride;
        }
        if (last >= storage.Numel) throw new TrmException($"{what} reaches past its storage; the file is damaged.");
    }
}
