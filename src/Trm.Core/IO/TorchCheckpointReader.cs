using System.IO.Compression;
using static TorchSharp.torch;

namespace Trm.IO;

/// <summary>
/// Reads a state dict saved by <c>torch.save</c> in PyTorch's zip format: <c>&lt;folder&gt;/data.pkl</c>
/// (the pickled dict, tensors as persistent ids) and <c>&lt;folder&gt;/data/&lt;key&gt;</c> (raw storages).
/// No Python is needed; only tensors, dicts and the values torch puts beside them are accepted.
/// </summary>
public static class TorchCheckpointReader
{
    /// <summary>The prefix <c>torch.compile</c>d modules add to every key; stripped on load.</summary>
    public const string CompiledPrefix = "_orig_mod.";

    sealed record StorageRef(ScalarType Dtype, string Key, long Numel);

    public static Dictionary<string, Tensor> ReadStateDict(string path)
    {
        if (!File.Exists(path)) throw new TrmException($"{path}: checkpoint file not found.");
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
        {
            var pickle = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal) && e.FullName.Count(c => c == '/') == 1)
                ?? throw new TrmException($"{path}: no '<folder>/data.pkl' inside the zip; this is not a torch.save checkpoint.");
            var folder = pickle.FullName[..^"data.pkl".Length];
            var byteOrder = zip.GetEntry(folder + "byteorder");
            if (byteOrder is not null)
            {
                using var r = new StreamReader(byteOrder.Open());
                if (r.ReadToEnd().Trim() != "little") throw new TrmException($"{path}: big-endian checkpoints are not supported.");
            }

            // Each storage is read straight into the memory of a tensor; tensors that cover a whole storage
            // are returned as that memory (see Reduce), so a large table is never held twice.
            var storages = new Dictionary<string, Tensor>();
            Tensor LoadStorage(StorageRef s)
            {
                if (storages.TryGetValue(s.Key, out var cached)) return cached;
                var entry = zip.GetEntry($"{folder}data/{s.Key}") ?? throw new TrmException($"{path}: tensor storage '{folder}data/{s.Key}' is missing from the zip; the file is incomplete.");
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
                using var stream = pickle.Open();
                var root = new Unpickler(stream, path)
                {
                    PersistentLoad = pid => ParseStorage(pid, path),
                    Reduce = (callable, args) => Reduce(callable, args, LoadStorage, path),
                }.Load();
                return ToStateDict(root, path);
            }
            catch (InvalidDataException e)
            {
                throw new TrmException($"{path}: the zip entry '{pickle.FullName}' is damaged: {e.Message}", e);
            }
            finally
            {
                foreach (var s in storages.Values) s.Dispose();   // the tensors returned hold their own references to the memory
            }
        }
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
            return new StorageRef(StorageDtype(type, path), key, numel);
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

    static object? Reduce(PickleGlobal callable, object?[] args, Func<StorageRef, Tensor> loadStorage, string path)
    {
        switch (callable.ToString())
        {
            case "collections.OrderedDict":
                return new PickleDict();
            case "torch._utils._rebuild_tensor_v2" or "torch._utils._rebuild_tensor":
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args is not [StorageRef storage, long offset, PickleTuple size, PickleTuple stride, ..])
                    throw new TrmException($"{path}: malformed tensor record in the checkpoint.");
                var flat = loadStorage(storage);
                long[] shape = size.Items.Cast<long>().ToArray(), strides = stride.Items.Cast<long>().ToArray();
                long needed = offset + shape.Zip(strides, (n, s) => n == 0 ? 0 : (n - 1) * s).Sum() + 1;
                if (shape.Any(n => n == 0)) return empty(shape, flat.dtype);
                if (needed > storage.Numel) throw new TrmException($"{path}: a tensor of shape [{string.Join(", ", shape)}] reaches past its storage; the file is damaged.");
                var view = flat.as_strided(shape, strides, offset);
                if (offset == 0 && view.numel() == storage.Numel && view.is_contiguous()) return view;   // the whole storage: no copy
                using (view) return view.is_contiguous() ? view.clone() : view.contiguous();            // a real view: its own compact copy
            case "torch._utils._rebuild_parameter":
                return args[0];
            default:
                throw new TrmException($"{path}: the checkpoint contains a Python object of type {callable}, which is not part of a state dict. Save only model.state_dict().");
        }
    }
}
