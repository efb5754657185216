package neural.mlops.bench;

import java.util.List;
import java.util.Random;

/** The words a synthetic workspace is made of: model names, frameworks, metrics, people, hosts. */
final class Vocabulary {

    static final String[] DOMAINS = {"fraud", "churn", "credit", "demand", "price", "spam", "image", "speech",
        "recommend", "anomaly", "sentiment", "ranking", "forecast", "ocr", "translation", "segmentation", "intent",
        "risk", "lead", "inventory", "claims", "search", "toxicity", "routing", "eta"};
    static final String[] KINDS = {"detector", "classifier", "scorer", "forecaster", "model", "ranker", "tagger",
        "predictor", "encoder", "net"};
    static final String[] VARIANTS = {"", "_eu", "_us", "_apac", "_mobile", "_web", "_batch", "_realtime", "_lite",
        "_xl", "_v2", "_shadow"};

    /** A framework, the file name its models are saved under, and the task its models do. */
    record Framework(String name, String modelFile, Task task) {
    }

    enum Task { CLASSIFICATION, REGRESSION, RANKING }

    static final List<Framework> FRAMEWORKS = List.of(
            new Framework("pytorch", "model.pt", Task.CLASSIFICATION),
            new Framework("tensorflow", "model.keras", Task.CLASSIFICATION),
            new Framework("sklearn", "model.pkl", Task.CLASSIFICATION),
            new Framework("xgboost", "model.ubj", Task.REGRESSION),
            new Framework("lightgbm", "model.txt", Task.RANKING),
            new Framework("onnx", "model.onnx", Task.CLASSIFICATION),
            new Framework("jax", "params.msgpack", Task.REGRESSION),
            new Framework("catboost", "model.cbm", Task.RANKING));

    static final String[] SCIENTISTS = {"alice", "bob", "dmitri", "erin", "farah", "gus", "hana", "ivan", "jun",
        "kemal", "lena", "mateo", "nora", "omar", "priya", "quinn", "rosa", "sven", "tariq", "uma"};
    static final String[] APPROVERS = {"carol", "victor", "wei"};
    static final String[] OPERATORS = {"devops", "sre-oncall", "release-bot"};
    static final String[] BOTS = {"ci-bot", "airflow", "scheduler"};
    static final String[] AUDITORS = {"audit-team", "compliance"};
    static final String[] INTRUDERS = {"unknown@external.com", "scanner-bot", "guest", "contractor-17"};
    static final String[] HOSTS = {"build-01", "build-02", "build-03", "gpu-04", "gpu-05", "ws-analytics",
        "airflow-worker-1", "airflow-worker-2"};
    static final String[] TAGS = {"production-ready", "experimental", "gpu", "cpu-only", "realtime", "batch", "pii",
        "explainable", "distilled", "quantized", "baseline", "champion", "challenger"};
    static final String[] DESCRIPTIONS = {"Retrained on the latest quarter of data", "Class weighting for the rare label",
        "Smaller model for lower latency", "New features from the event stream", "Hyper-parameter sweep winner",
        "Calibrated probabilities", "Fixed a leakage in the validation split", "Distilled from the large model",
        "Baseline for the new data contract", "Longer training with early stopping"};
    static final String[] PURPOSES = {"offline evaluation", "batch scoring", "shadow traffic", "model card review",
        "drift analysis", "backtest", "explainability report"};
    static final String[] ENVIRONMENTS = {"development", "staging", "production"};

    private Vocabulary() {
    }

    /** The name of model {@code index}: a domain and a kind, with a variant and a number once those run out. */
    static String modelName(int index) {
        int combos = DOMAINS.length * KINDS.length;
        String base = DOMAINS[index % DOMAINS.length] + "_" + KINDS[(index / DOMAINS.length) % KINDS.length];
        int round = index / combos;
        if (round < VARIANTS.length) {
            return base + VARIANTS[round];
        }
        return base + "_" + String.format("%03d", round);
    }

    static String domainOf(String modelName) {
        return modelName.substring(0, modelName.indexOf('_'));
    }

    static String pick(Random random, String[] words) {
        return words[random.nextInt(words.length)];
    }

    static String hex(Random random, int digits) {
        StringBuilder text = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            text.append(Character.forDigit(random.nextInt(16), 16));
        }
        return text.toString();
    }

    static String internalIp(Random random) {
        return "10." + random.nextInt(8) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    static String externalIp(Random random) {
        return "203.0.113." + (1 + random.nextInt(254));
    }
}
