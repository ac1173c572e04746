<#-- Alerts beyond the robot's rate limit, folded into one message, most severe first.
     Model: body.alerts (each an alert, as in event.ftl), body.count. The times are when the first and
     the last of them were accepted. -->
### ${variables.dingtalkTitle}

<#assign accepted = body.alerts?map(x -> x.acceptedAt!"")?filter(t -> t?has_content)?sort>
**${body.count} more alerts**<#if accepted?has_content>, ${time(accepted?first)}<#if time(accepted?last) != time(accepted?first)> – ${time(accepted?last)}</#if></#if>

<#list body.alerts as a>
- **${a.level!"?"}** <#if a.projectSlug??>【${a.projectSlug}】</#if>${a.title}<#if a.link??> [👉](${url(a.link)})</#if>
</#list>
