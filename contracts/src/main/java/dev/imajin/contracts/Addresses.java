package dev.imajin.contracts;

/**
 * Event-bus addresses. Every operation of every contract is reachable at {@code
 * imajin.<service>.<operationId>} with the same JSON bodies as over HTTP; parameters travel as
 * fields of the message named in lower case with {@code _} for {@code -}.
 */
public final class Addresses {
  public static final String PREFIX = "imajin.";

  private Addresses() {}

  /** The address of an operation. */
  public static String of(ServiceId service, String operationId) {
    return PREFIX + service.id() + "." + operationId;
  }

  /** Where a job's live progress events are published. */
  public static String progress(String jobId) {
    return PREFIX + "progress." + jobId;
  }

  /**
   * Where the GPU Boss asks a holder to unload the model of an idle resident lease (the {@code
   * reclaimResidentLease} webhook of {@code gpu-boss.yaml}).
   */
  public static String leaseReclaim(String holder) {
    return PREFIX + "lease.reclaim." + holder;
  }

  /** Operations of the pipeline service. */
  public static final class Pipeline {
    public static final String CREATE_IMAGE = "imajin.pipeline.createImage";
    public static final String GET_IMAGE = "imajin.pipeline.getImage";
    public static final String CREATE_JOB = "imajin.pipeline.createJob";
    public static final String GET_JOB = "imajin.pipeline.getJob";
    public static final String CANCEL_JOB = "imajin.pipeline.cancelJob";
    public static final String STREAM_JOB_EVENTS = "imajin.pipeline.streamJobEvents";
    public static final String CREATE_BATCH = "imajin.pipeline.createBatch";
    public static final String GET_BATCH = "imajin.pipeline.getBatch";
    public static final String INFO = "imajin.pipeline.info";

    private Pipeline() {}
  }

  /** Operations of the proxy service. */
  public static final class Proxy {
    public static final String GENERATE = "imajin.proxy.generate";
    public static final String INFO = "imajin.proxy.info";

    private Proxy() {}
  }

  /** Operations of the diffusion service. */
  public static final class Diffusion {
    public static final String GENERATE = "imajin.diffusion.generate";
    public static final String IMG2IMG = "imajin.diffusion.img2img";
    public static final String INPAINT = "imajin.diffusion.inpaint";
    public static final String LIST_MODELS = "imajin.diffusion.listModels";
    public static final String GET_MODEL = "imajin.diffusion.getModel";
    public static final String LOAD_MODEL = "imajin.diffusion.loadModel";
    public static final String UNLOAD_MODEL = "imajin.diffusion.unloadModel";
    public static final String CREATE_JOB = "imajin.diffusion.createJob";
    public static final String GET_JOB = "imajin.diffusion.getJob";
    public static final String CANCEL_JOB = "imajin.diffusion.cancelJob";
    public static final String STREAM_JOB_EVENTS = "imajin.diffusion.streamJobEvents";
    public static final String INFO = "imajin.diffusion.info";

    private Diffusion() {}
  }

  /** Operations of the prompt service. */
  public static final class Prompt {
    public static final String ENHANCE_PROMPT = "imajin.prompt.enhancePrompt";
    public static final String NEGATIVE_PROMPT = "imajin.prompt.negativePrompt";
    public static final String LIST_STYLES = "imajin.prompt.listStyles";
    public static final String CLASSIFY_CULTURE = "imajin.prompt.classifyCulture";
    public static final String INFO = "imajin.prompt.info";

    private Prompt() {}
  }

  /** Operations of the processing service. */
  public static final class Processing {
    public static final String RESIZE = "imajin.processing.resize";
    public static final String CROP = "imajin.processing.crop";
    public static final String CONVERT = "imajin.processing.convert";
    public static final String THUMBNAIL = "imajin.processing.thumbnail";
    public static final String OVERLAY_TEXT = "imajin.processing.overlayText";
    public static final String WATERMARK_VISIBLE = "imajin.processing.watermarkVisible";
    public static final String WATERMARK_EMBED = "imajin.processing.watermarkEmbed";
    public static final String WATERMARK_DETECT = "imajin.processing.watermarkDetect";
    public static final String WRITE_METADATA = "imajin.processing.writeMetadata";
    public static final String READ_METADATA = "imajin.processing.readMetadata";
    public static final String REMOVE_BACKGROUND = "imajin.processing.removeBackground";
    public static final String UPSCALE = "imajin.processing.upscale";
    public static final String INFO = "imajin.processing.info";

    private Processing() {}
  }

  /** Operations of the semantic service. */
  public static final class Semantic {
    public static final String VALIDATE_IMAGE = "imajin.semantic.validateImage";
    public static final String SCORE_IMAGE = "imajin.semantic.scoreImage";
    public static final String INFO = "imajin.semantic.info";

    private Semantic() {}
  }

  /** Operations of the aesthetic service. */
  public static final class Aesthetic {
    public static final String SCORE_IMAGE = "imajin.aesthetic.scoreImage";
    public static final String RANK_IMAGES = "imajin.aesthetic.rankImages";
    public static final String INFO = "imajin.aesthetic.info";

    private Aesthetic() {}
  }

  /** Operations of the gpu-boss service. */
  public static final class GpuBoss {
    public static final String LIST_DEVICES = "imajin.gpu-boss.listDevices";
    public static final String GET_DEVICE = "imajin.gpu-boss.getDevice";
    public static final String LIST_LEASES = "imajin.gpu-boss.listLeases";
    public static final String ACQUIRE_LEASE = "imajin.gpu-boss.acquireLease";
    public static final String RENEW_LEASE = "imajin.gpu-boss.renewLease";
    public static final String RELEASE_LEASE = "imajin.gpu-boss.releaseLease";
    public static final String GET_QUEUE = "imajin.gpu-boss.getQueue";
    public static final String INFO = "imajin.gpu-boss.info";

    private GpuBoss() {}
  }

  /** Operations of the moderator service. */
  public static final class Moderator {
    public static final String MODERATE_IMAGE = "imajin.moderator.moderateImage";
    public static final String MODERATE_PROMPT = "imajin.moderator.moderatePrompt";
    public static final String HASH_IMAGE = "imajin.moderator.hashImage";
    public static final String CREATE_BANK = "imajin.moderator.createBank";
    public static final String LIST_BANKS = "imajin.moderator.listBanks";
    public static final String GET_BANK = "imajin.moderator.getBank";
    public static final String DELETE_BANK = "imajin.moderator.deleteBank";
    public static final String ADD_HASHES = "imajin.moderator.addHashes";
    public static final String REMOVE_HASHES = "imajin.moderator.removeHashes";
    public static final String IMPORT_HASHES = "imajin.moderator.importHashes";
    public static final String MATCH_IMAGE = "imajin.moderator.matchImage";
    public static final String MATCH_HASH = "imajin.moderator.matchHash";
    public static final String LIST_INCIDENTS = "imajin.moderator.listIncidents";
    public static final String GET_INCIDENT = "imajin.moderator.getIncident";
    public static final String GET_POLICY = "imajin.moderator.getPolicy";
    public static final String INFO = "imajin.moderator.info";

    private Moderator() {}
  }

  /** Operations of the identity service. */
  public static final class Identity {
    public static final String ENROL_IDENTITY = "imajin.identity.enrolIdentity";
    public static final String LIST_IDENTITIES = "imajin.identity.listIdentities";
    public static final String SEARCH_IDENTITIES = "imajin.identity.searchIdentities";
    public static final String GET_IDENTITY = "imajin.identity.getIdentity";
    public static final String DELETE_IDENTITY = "imajin.identity.deleteIdentity";
    public static final String ADD_FACES = "imajin.identity.addFaces";
    public static final String VERIFY_IDENTITY = "imajin.identity.verifyIdentity";
    public static final String INFO = "imajin.identity.info";

    private Identity() {}
  }

  /** Operations of the request-classifier service. */
  public static final class RequestClassifier {
    public static final String CLASSIFY_REQUEST = "imajin.request-classifier.classifyRequest";
    public static final String LIST_CATEGORIES = "imajin.request-classifier.listCategories";
    public static final String INFO = "imajin.request-classifier.info";

    private RequestClassifier() {}
  }

  /** Operations of the prompt-generator service. */
  public static final class PromptGenerator {
    public static final String GENERATE_PROMPTS = "imajin.prompt-generator.generatePrompts";
    public static final String LIST_TEMPLATES = "imajin.prompt-generator.listTemplates";
    public static final String INFO = "imajin.prompt-generator.info";

    private PromptGenerator() {}
  }
}
